{{ snapshots_of('raw_coverage') }}
