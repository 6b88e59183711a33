{#- Select exactly the columns documented in the model's YAML, in that order, each cast to
    its documented data_type. The YAML is the contract (and the fact registry): the table
    can hold neither more nor fewer columns than it documents, nor other types. -#}
{% macro select_documented_columns(from_alias) -%}
    {%- set columns = model['columns'] -%}
    {%- if execute and columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("model " ~ model.name ~ " documents no columns") }}
    {%- endif -%}
    {%- if not execute %}{{ from_alias }}.*{% endif -%}
    {%- for name, column in columns.items() %}
        {% if column.data_type -%}
            cast({{ from_alias }}.{{ name }} as {{ readiness_sql_type(column.data_type) }})
        {%- else -%}
            {{ from_alias }}.{{ name }}
        {%- endif %} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The SQL type for a documented data_type, valid on DuckDB and PostgreSQL alike. -#}
{% macro readiness_sql_type(data_type) -%}
    {%- set types = {
        'boolean': 'boolean',
        'integer': 'integer',
        'bigint': 'bigint',
        'double': 'double precision',
        'varchar': 'varchar',
        'date': 'date',
        'timestamp': 'timestamp',
    } -%}
    {{ types.get(data_type | lower, data_type) }}
{%- endmacro %}
