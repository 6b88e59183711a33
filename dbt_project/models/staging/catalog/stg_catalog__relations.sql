with

relations as (
    {{ catalog_snapshot_rows('relations', {
        'snapshot_on': 'date',
        'source_ref': 'varchar',
        'relation': 'varchar',
        'target_ref': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

-- The provider whose definition of each entity counts (see stg_catalog__entities). A
-- relation belongs to the entity that declares it; Group.spec.members and spec.children
-- give relations whose source is the other entity, so both ends are looked up.
counted as (
    select snapshot_on, entity_ref, provider from {{ ref('stg_catalog__entities') }}
),

final as (
    select distinct
        relations.snapshot_on,
        relations.source_ref,
        relations.relation,
        relations.target_ref
    from relations
    where exists (
        select 1 from counted
        where counted.snapshot_on = relations.snapshot_on
            and counted.provider = relations.provider
            and counted.entity_ref in (relations.source_ref, relations.target_ref)
    )
)

select * from final
