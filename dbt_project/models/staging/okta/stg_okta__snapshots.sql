{{ snapshots_of('raw_okta') }}
