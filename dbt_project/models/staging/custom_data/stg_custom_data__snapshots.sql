{{ snapshots_of('raw_custom_data') }}
