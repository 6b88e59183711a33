{{ snapshots_of('raw_datadog') }}
