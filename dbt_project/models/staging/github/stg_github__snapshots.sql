{{ snapshots_of('raw_github') }}
