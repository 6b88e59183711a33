{#- Keep, for each key, the row of the first load that wrote it. Used for append-only
    tables where a key's content never changes (a definition hash names its content). -#}
{% macro first_load_per_key(relation_sql, keys) -%}
    select *
    from (
        select
            loaded.*,
            row_number() over (
                partition by {{ keys | join(', ') }} order by loaded._dlt_load_id
            ) as load_order
        from ({{ relation_sql }}) as loaded
    ) as ordered
    where load_order = 1
{%- endmacro %}
