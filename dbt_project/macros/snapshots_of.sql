{#- The snapshot days of a loaded source: one row per day with the newest load of that day
    (its rows are the ones that count). Every source's stg_<source>__snapshots is this. -#}
{% macro snapshots_of(source_name) -%}
with

loads as (
    {{ source_or_empty(source_name, 'snapshots', {
        'snapshot_on': 'date',
        'loaded_at': 'timestamp',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        snapshot_on,
        max(_dlt_load_id) as load_id,
        max(loaded_at) as loaded_at
    from loads
    group by snapshot_on
)

select * from final
{%- endmacro %}
