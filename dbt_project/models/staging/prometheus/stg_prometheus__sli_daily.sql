with

samples as (
    {{ source_or_empty('raw_prometheus', 'sli_daily', {
        'query_name': 'varchar',
        'series': 'varchar',
        'service': 'varchar',
        'day': 'date',
        'value': 'double precision',
        '_dlt_load_id': 'varchar',
    }) }}
),

newest_load_first as (
    select
        samples.*,
        row_number() over (
            partition by query_name, series, day order by _dlt_load_id desc
        ) as load_rank
    from samples
),

-- A query should return one series per service; if it returns several (e.g. one per
-- SLO), the lowest value of the day is kept: the conservative reading of an SLI.
final as (
    select
        query_name,
        service,
        day,
        min(value) as value
    from newest_load_first
    where load_rank = 1
    group by query_name, service, day
)

select * from final
