{{ snapshots_of('raw_catalog') }}
