{#- Catalog entities of each snapshot day, from files and from the Backstage catalog API.
    An entity both give on the same day counts once, as the files define it (the other
    definition is reported in marts.fct_catalog_problems). -#}
with

entities as (
    {{ catalog_snapshot_rows('entities', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'kind': 'varchar',
        'namespace': 'varchar',
        'name': 'varchar',
        'title': 'varchar',
        'display_name': 'varchar',
        'description': 'varchar',
        'spec_type': 'varchar',
        'lifecycle': 'varchar',
        'owner_ref': 'varchar',
        'system_ref': 'varchar',
        'domain_ref': 'varchar',
        'parent_ref': 'varchar',
        'tier': 'varchar',
        'tier_number': 'integer',
        'email': 'varchar',
        'file': 'varchar',
        'document_index': 'integer',
        '_dlt_load_id': 'varchar',
    }) }}
),

ranked as (
    select
        entities.*,
        row_number() over (
            partition by snapshot_on, entity_ref
            order by case provider when 'files' then 0 else 1 end
        ) as provider_rank
    from entities
),

final as (
    select
        snapshot_on,
        entity_ref,
        provider,
        kind,
        namespace,
        name,
        coalesce(title, name) as title,
        display_name,
        description,
        spec_type,
        lifecycle,
        owner_ref,
        system_ref,
        domain_ref,
        parent_ref,
        tier,
        tier_number,
        email,
        file,
        document_index
    from ranked
    where provider_rank = 1
)

select * from final
