{#- The days of this evaluation's window that the current model must (re)build.

    A day already present in the model is evidence and is left alone, unless the
    evaluation is an explicit re-evaluation (`readiness run --reevaluate`, recorded in
    fct_evaluations). -#}
{% macro days_to_evaluate() -%}
    select days.day as evaluated_on
    from {{ ref('int_evaluation_days') }} as days
    {% if is_incremental() %}
    where days.reevaluate
        or days.day not in (select distinct evaluated_on from {{ this }})
    {% endif %}
{%- endmacro %}
