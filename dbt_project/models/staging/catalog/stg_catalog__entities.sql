with

entities as (
    {{ current_snapshot_rows(source_or_empty('raw_catalog', 'entities', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'kind': 'varchar',
        'namespace': 'varchar',
        'name': 'varchar',
        'title': 'varchar',
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
    }), 'stg_catalog__snapshots') }}
),

final as (
    select
        snapshot_on,
        entity_ref,
        kind,
        namespace,
        name,
        coalesce(title, name) as title,
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
    from entities
)

select * from final
