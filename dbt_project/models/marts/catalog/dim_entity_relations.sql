{#- The relations between catalog entities, as in each entity's latest snapshot: what an
    entity depends on, provides, consumes, belongs to, is part of or owned by. -#}
with

entities as (
    select entity_ref, kind, last_seen_on from {{ ref('dim_entities') }}
),

relations as (
    select * from {{ ref('stg_catalog__relations') }}
),

final as (
    select distinct
        relations.source_ref as entity_ref,
        relations.relation,
        relations.target_ref,
        {{ dbt.split_part('relations.target_ref', "':'", 1) }} as target_kind,
        targets.entity_ref is not null as target_exists
    from relations
    inner join entities as sources
        on sources.entity_ref = relations.source_ref
        and sources.last_seen_on = relations.snapshot_on
    left join {{ ref('stg_catalog__entities') }} as targets
        on targets.snapshot_on = relations.snapshot_on
        and targets.entity_ref = relations.target_ref
)

select * from final
