{#- The outcomes that count towards an initiative's target, as joins and a filter on a
    query over `initiatives` (int_initiatives_current or dim_initiatives rows), `outcomes`
    (fct_rule_outcomes) and the CTEs `target_rules` (stg_scorecards__initiative_rules)
    and `levels` (dim_levels): a rule target counts its listed rules; a level target
    counts every rule at that level or below. `scope` is the relation carrying
    initiative_id and definition_hash. -#}
{% macro initiative_target_outcomes(scope) %}
    left join target_rules
        on target_rules.initiative_id = {{ scope }}.initiative_id
        and target_rules.definition_hash = {{ scope }}.definition_hash
        and target_rules.rule_id = outcomes.rule_id
    left join levels as target_level
        on target_level.scorecard_id = outcomes.scorecard_id
        and target_level.definition_hash = outcomes.definition_hash
        and target_level.level = initiatives.target_level
    where (initiatives.target_type = 'rules' and target_rules.rule_id is not null)
        or (initiatives.target_type = 'level' and outcomes.level_rank <= target_level.level_rank)
{%- endmacro %}
