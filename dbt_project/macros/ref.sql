{#- `ref()` without the catalog name on DuckDB. dbt-duckdb names the warehouse file's
    catalog (`"warehouse"."staging"."stg_x"`) in every relation; a view keeping that name
    breaks when the published copy is opened on its own (its catalog is `published`, or
    whatever name a reader attaches it under). DuckDB binds a view's schema-qualified names
    inside the view's own catalog, so `"staging"."stg_x"` works wherever the file is opened.
    PostgreSQL keeps dbt's default (one database). -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if target.type == 'duckdb' and relation is not none and relation.include is defined -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
