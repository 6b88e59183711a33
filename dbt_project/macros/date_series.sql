{#- One row per day from each row's `first_day` to `last_day` (inclusive) of `relation`,
    in a column `day`, with the relation's other columns alongside. -#}
{% macro days_between(relation) -%}
    {{ return(adapter.dispatch('days_between', 'readiness')(relation)) }}
{%- endmacro %}

{% macro default__days_between(relation) -%}
    select
        cast(generate_series(ranges.first_day, ranges.last_day, interval '1 day') as date) as day,
        ranges.*
    from {{ relation }} as ranges
{%- endmacro %}

{% macro duckdb__days_between(relation) -%}
    select
        cast(unnest(generate_series(
            cast(ranges.first_day as timestamp), cast(ranges.last_day as timestamp),
            interval '1 day'
        )) as date) as day,
        ranges.*
    from {{ relation }} as ranges
{%- endmacro %}
