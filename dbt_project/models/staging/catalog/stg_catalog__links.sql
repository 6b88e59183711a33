with

links as (
    {{ catalog_snapshot_rows('links', {
        'snapshot_on': 'date',
        'entity_ref': 'varchar',
        'link_type': 'varchar',
        'url': 'varchar',
        'title': 'varchar',
        '_dlt_load_id': 'varchar',
    }) }}
),

final as (
    select
        links.snapshot_on,
        links.entity_ref,
        links.link_type,
        links.url,
        links.title
    from links
    inner join {{ ref('stg_catalog__entities') }} as counted
        on counted.snapshot_on = links.snapshot_on
        and counted.entity_ref = links.entity_ref
        and counted.provider = links.provider
)

select * from final
