{#- The days of this invocation's window that the current model must (re)build.

    A day already present in the model is evidence and is left alone, unless the
    invocation is an explicit re-evaluation (`--vars '{reevaluate: true}'`, which the
    `readiness backfill` command passes and records). -#}
{% macro days_to_evaluate() -%}
    select day as evaluated_on
    from ({{ date_series(evaluation_start(), evaluation_end()) }}) as window_days
    {% if is_incremental() and not var('reevaluate') %}
    where day not in (select distinct evaluated_on from {{ this }})
    {% endif %}
{%- endmacro %}
