{#- The raw rows of the snapshot that counts for each snapshot day: the newest successful load
    of that day. A re-run of a day appends a new load; older loads of the same day stay in
    raw (evidence) but are never counted twice. -#}
{% macro current_snapshot_rows(relation_sql, snapshots_model) -%}
    select rows.*
    from ({{ relation_sql }}) as rows
    inner join {{ ref(snapshots_model) }} as snapshots
        on rows.snapshot_on = snapshots.snapshot_on
        and rows._dlt_load_id = snapshots.load_id
{%- endmacro %}
