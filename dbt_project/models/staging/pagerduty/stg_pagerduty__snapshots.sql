{{ snapshots_of('raw_pagerduty') }}
