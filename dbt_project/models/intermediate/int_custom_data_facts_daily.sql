{#- Custom data keys that are facts (var `custom_data_facts`), per entity and day.

    When the custom data source is loaded and fresh, a boolean key that an entity lacks is
    false (the key is absent); other types are NULL. When it is not loaded or stale, every
    custom fact is NULL and the rules that need it are `unknown`. -#}
{%- set custom_facts = var('custom_data_facts') -%}
with

status as (
    select evaluated_on, state_snapshot_on
    from {{ ref('int_source_status_daily') }}
    where source_name = 'custom_data' and state_reason is null
),

entity_values as (
    select * from {{ ref('stg_custom_data__entity_values') }}
),

final as (
    select
        status.evaluated_on,
        entity_values.entity_ref
        {%- for fact, spec in custom_facts.items() %},
        max(case when entity_values.data_key = '{{ spec.key }}' then
            {%- if spec.type == 'boolean' %}
            case when lower(entity_values.data_value) in ('true', 'yes', '1') then 1 else 0 end
            {%- else %}
            cast(entity_values.data_value as {{ spec.type }})
            {%- endif %}
        end) as {{ fact }}
        {%- endfor %}
    from status
    inner join entity_values on entity_values.snapshot_on = status.state_snapshot_on
    group by status.evaluated_on, entity_values.entity_ref
)

select * from final
