{#- Custom data keys that are facts (var `custom_data_facts`), per entity and day.

    When the custom data source is loaded and fresh, a boolean key that an entity lacks is
    false (the key is absent); other types are NULL. A key of a refused item (a value of
    the wrong type, a key set twice: `stg_custom_data__errors` says why) is NULL, and
    `<fact>_refused` is true: the fact is unknown, not false. When the source is not loaded
    or stale, every custom fact is NULL and the rules that need it are `unknown`. -#}
{%- set custom_facts = var('custom_data_facts') -%}
with

status as (
    select evaluated_on, state_snapshot_on
    from {{ ref('int_source_status_daily') }}
    where source_name = 'custom_data' and state_reason is null
),

entity_values as (
    select snapshot_on, entity_ref, data_key, data_value, 0 as refused
    from {{ ref('stg_custom_data__entity_values') }}
),

refused_values as (
    select snapshot_on, entity_ref, data_key, cast(null as varchar) as data_value, 1 as refused
    from {{ ref('stg_custom_data__refused_values') }}
),

keyed as (
    select * from entity_values
    union all
    select * from refused_values
),

final as (
    select
        status.evaluated_on,
        keyed.entity_ref
        {%- for fact, spec in custom_facts.items() %},
        case when max(case when keyed.data_key = '{{ spec.key }}' then keyed.refused end) = 0 then
        max(case when keyed.data_key = '{{ spec.key }}' then
            {%- if spec.type == 'boolean' %}
            case when lower(keyed.data_value) in ('true', 'yes', '1') then 1 else 0 end
            {%- else %}
            cast(keyed.data_value as {{ spec.type }})
            {%- endif %}
        end) end as {{ fact }},
        coalesce(max(case when keyed.data_key = '{{ spec.key }}' then keyed.refused end), 0) = 1
            as {{ fact }}_refused
        {%- endfor %}
    from status
    inner join keyed on keyed.snapshot_on = status.state_snapshot_on
    group by status.evaluated_on, keyed.entity_ref
)

select * from final
