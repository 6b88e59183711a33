{#- The days of the evaluation being built, one row each, with its request's settings. -#}
with

request as (
    select * from {{ ref('int_evaluation_request') }}
),

final as (
    {{ days_between('request') }}
)

select * from final
