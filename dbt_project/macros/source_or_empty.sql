{#- Select from a raw table loaded by dlt, or from an empty table of the same shape when the
    source has never been loaded (a source that is not configured yet). Rules that need its
    facts are then `unknown` with the reason "never loaded", instead of the build failing.

    `columns` maps column name -> SQL type, and is the staging model's contract with dlt. -#}
{% macro source_or_empty(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set located = builtins.source(source_name, table_name) -%}
    {%- set exists = execute and adapter.get_relation(
        database=located.database, schema=located.schema, identifier=located.identifier
    ) is not none -%}
    {%- if exists -%}
        {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        select
        {%- for name, type in columns.items() %}
            {% if name | lower in existing -%}
                cast({{ adapter.quote(name) }} as {{ type }})
            {%- else -%}
                cast(null as {{ type }})
            {%- endif %} as {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
        from {{ relation }}
    {%- else -%}
        select
        {%- for name, type in columns.items() %}
            cast(null as {{ type }}) as {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
