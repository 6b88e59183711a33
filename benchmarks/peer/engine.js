// The peer of readiness's scoring stage: json-rules-engine, run as Backstage Tech Insights
// runs it (JsonRulesEngineFactChecker.runChecks): for each entity a new Engine, every
// check added as a rule, one engine.run() with the entity's facts.
//
//   node engine.js INPUT.json OUTPUT.json
//
// INPUT: {day, scorecards: [{id, levels, scope, rules: [{id, level_rank, points,
//         condition, applies_to, effective_from}]}], facts: [names], entities: [[ref, v...]]}
// where scope/condition/applies_to are json-rules-engine condition trees (benchmarks/peer.py
// translates readiness's SQL into them).
//
// Unknown: json-rules-engine is two-valued (a comparison with a null fact is false). To
// give readiness's `unknown` honestly, each rule is still evaluated ONCE by the engine, and
// its outcome is read off the condition tree the engine returns (every leaf carries the
// fact value it compared, `factResult`, and its `result`): a leaf whose fact is null is
// unknown unless it is itself a null test, and all/any/not combine with SQL's three-valued
// (Kleene) logic. Equal-priority conditions are all evaluated (Promise.all), so every leaf
// has its result.
//
// OUTPUT: {seconds_engine, seconds_total, entities, outcomes: [[ref, scorecard, codes]],
//          scores: [[ref, scorecard, score_pct, level]]}; codes has one letter per rule of
//          the scorecard, in order: p(ass), f(ail), u(nknown), n(ot applicable).

'use strict'

const fs = require('fs')
const { Engine } = require('json-rules-engine')

const T = 1
const F = 0
const U = null
const CODES = { pass: 'p', fail: 'f', unknown: 'u', not_applicable: 'n' }

function kleene (condition) {
  if (condition.all) {
    const values = condition.all.map(kleene)
    if (values.includes(F)) return F
    return values.includes(U) ? U : T
  }
  if (condition.any) {
    const values = condition.any.map(kleene)
    if (values.includes(T)) return T
    return values.includes(U) ? U : F
  }
  if (condition.not) {
    const value = kleene(condition.not)
    return value === U ? U : 1 - value
  }
  const nullTest = condition.value === null
  if (!nullTest && (condition.factResult === null || condition.factResult === undefined)) {
    return U
  }
  if (condition.result === undefined) throw new Error(`leaf not evaluated: ${condition.fact}`)
  return condition.result ? T : F
}

function roundPct (value) {
  return Math.round(value * 100) / 100
}

async function main () {
  const [input, output] = process.argv.slice(2)
  const began = process.hrtime.bigint()
  const spec = JSON.parse(fs.readFileSync(input, 'utf8'))
  const checks = [] // {name, conditions} for each scope, filter and condition
  for (const sc of spec.scorecards) {
    checks.push({ name: `${sc.id}|scope`, conditions: sc.scope })
    for (const rule of sc.rules) {
      checks.push({ name: `${sc.id}|${rule.id}|condition`, conditions: rule.condition })
      if (rule.applies_to) {
        checks.push({ name: `${sc.id}|${rule.id}|applies_to`, conditions: rule.applies_to })
      }
    }
  }
  const outcomes = []
  const scores = []
  const engineBegan = process.hrtime.bigint()
  for (const row of spec.entities) {
    const ref = row[0]
    const facts = {}
    spec.facts.forEach((name, i) => { facts[name] = row[i + 1] })
    const engine = new Engine([], { allowUndefinedFacts: false })
    for (const check of checks) {
      engine.addRule({ name: check.name, conditions: check.conditions, event: { type: check.name } })
    }
    const { results, failureResults } = await engine.run(facts)
    const value = {}
    for (const result of results.concat(failureResults)) value[result.name] = kleene(result.conditions)
    for (const sc of spec.scorecards) {
      if (value[`${sc.id}|scope`] !== T) continue // SQL: where coalesce(scope, false)
      let earned = 0
      let possible = 0
      let firstBlocked = null
      let codes = ''
      for (const rule of sc.rules) {
        let outcome
        if (rule.effective_from && spec.day < rule.effective_from) {
          outcome = 'not_applicable'
        } else if (rule.applies_to && value[`${sc.id}|${rule.id}|applies_to`] === U) {
          outcome = 'unknown'
        } else if (rule.applies_to && value[`${sc.id}|${rule.id}|applies_to`] === F) {
          outcome = 'not_applicable'
        } else {
          const v = value[`${sc.id}|${rule.id}|condition`]
          outcome = v === T ? 'pass' : v === F ? 'fail' : 'unknown'
        }
        codes += CODES[outcome]
        if (outcome !== 'not_applicable') {
          possible += rule.points
          if (outcome === 'pass') earned += rule.points
          else if (firstBlocked === null || rule.level_rank < firstBlocked) firstBlocked = rule.level_rank
        }
      }
      outcomes.push([ref, sc.id, codes])
      const rank = firstBlocked === null ? sc.levels.length : firstBlocked - 1
      scores.push([ref, sc.id, possible > 0 ? roundPct((100 * earned) / possible) : null,
        rank > 0 ? sc.levels[rank - 1] : null])
    }
  }
  const ended = process.hrtime.bigint()
  fs.writeFileSync(output, JSON.stringify({
    entities: spec.entities.length,
    seconds_engine: Number(ended - engineBegan) / 1e9,
    seconds_total: Number(ended - began) / 1e9,
    outcomes,
    scores
  }))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
