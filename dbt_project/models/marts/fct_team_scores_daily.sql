{#- Per day, scorecard and owning team (directly owned entities only): how many entities,
    their average score, how many hold each rank of the ladder, and the outcome mix.
    Entities whose owner does not resolve to a team are rolled up under team_ref NULL. -#}
with

scores as (
    select * from {{ ref('fct_entity_scores') }}
),

facts as (
    select evaluated_on, entity_ref, owner_ref, owner_resolved
    from {{ ref('fct_entity_facts') }}
),

final as (
    select
        scores.evaluated_on,
        scores.scorecard_id,
        case when facts.owner_resolved then facts.owner_ref end as team_ref,
        cast(count(*) as integer) as entity_count,
        round(avg(scores.score_pct), 2) as avg_score_pct,
        case when sum(scores.points_possible) > 0
            then round(100.0 * sum(scores.points_earned) / sum(scores.points_possible), 2)
        end as points_score_pct,
        cast(sum(case when scores.level is null then 1 else 0 end) as integer) as entities_without_level,
        cast(sum(scores.pass_count) as integer) as pass_count,
        cast(sum(scores.fail_count) as integer) as fail_count,
        cast(sum(scores.unknown_count) as integer) as unknown_count,
        cast(sum(scores.exempt_count) as integer) as exempt_count,
        cast(sum(scores.not_applicable_count) as integer) as not_applicable_count,
        case when sum(scores.pass_count + scores.fail_count + scores.unknown_count) > 0
            then round(100.0 * sum(scores.unknown_count)
                / sum(scores.pass_count + scores.fail_count + scores.unknown_count), 2)
        end as unknown_share_pct
    from scores
    inner join facts
        on facts.evaluated_on = scores.evaluated_on and facts.entity_ref = scores.entity_ref
    group by
        scores.evaluated_on,
        scores.scorecard_id,
        case when facts.owner_resolved then facts.owner_ref end
)

select * from final
