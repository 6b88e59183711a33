{{ snapshots_of('raw_prometheus') }}
