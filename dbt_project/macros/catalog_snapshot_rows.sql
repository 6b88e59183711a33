{#- The rows of one catalog table as each snapshot day counts them, from both ways of
    reading a catalog: files (`raw_catalog`, provider `files`) and a running Backstage's
    catalog API (`raw_backstage`, provider `backstage_api`). Each provider's newest load of
    the day counts; `provider` says which one a row came from. -#}
{% macro catalog_snapshot_rows(table_name, columns) -%}
    select 'files' as provider, files.*
    from ({{ current_snapshot_rows(source_or_empty('raw_catalog', table_name, columns), 'stg_catalog__snapshots') }}) as files
    union all
    select 'backstage_api' as provider, api.*
    from ({{ current_snapshot_rows(source_or_empty('raw_backstage', table_name, columns), 'stg_backstage__snapshots') }}) as api
{%- endmacro %}
