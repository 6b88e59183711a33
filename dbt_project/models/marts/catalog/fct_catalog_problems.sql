{#- Every problem found in the catalog, per snapshot day: documents that could not be read,
    invalid entities, dangling references, Location cycles and missing targets, Group
    cycles, files that are not descriptors. Each names its file, document, line and entity,
    and says what to do. An entity given both by files and by the Backstage API on one day
    counts once (the files' definition); the other definition is listed here. -#}
with

problems as (
    select * from {{ ref('stg_catalog__problems') }}
),

-- raw rows of both providers (stg_catalog__entities keeps one per entity and day)
all_definitions as (
    {{ catalog_snapshot_rows('entities', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'file': 'varchar',
        'document_index': 'integer',
        '_dlt_load_id': 'varchar',
    }) }}
),

counted as (
    select snapshot_on, entity_ref, provider, file, document_index
    from {{ ref('stg_catalog__entities') }}
),

cross_provider_duplicates as (
    select
        all_definitions.snapshot_on,
        all_definitions.provider,
        all_definitions.file,
        all_definitions.document_index,
        cast(null as integer) as line,
        all_definitions.entity_ref,
        'error' as severity,
        'duplicate-entity' as problem,
        all_definitions.entity_ref || ' is defined both in the catalog files ('
            || coalesce(counted.file, '?') || ') and by the Backstage API; '
            || 'the files'' definition counts' as message,
        'read the catalog from one place, or remove one of the definitions' as hint
    from all_definitions
    inner join counted
        on counted.snapshot_on = all_definitions.snapshot_on
        and counted.entity_ref = all_definitions.entity_ref
        and counted.provider <> all_definitions.provider
),

final as (
    select
        snapshot_on, provider, file, document_index, line, entity_ref,
        severity, problem, message, hint
    from problems
    union all
    select
        snapshot_on, provider, file, document_index, line, entity_ref,
        severity, problem, message, hint
    from cross_provider_duplicates
)

select * from final
