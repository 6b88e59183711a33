{#- `source()` without the catalog name on DuckDB, for the reason given in ref.sql: views
    over raw tables must resolve inside whichever catalog the file is opened as. -#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- if target.type == 'duckdb' -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
