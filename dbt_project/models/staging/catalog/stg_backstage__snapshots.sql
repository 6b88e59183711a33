{{ snapshots_of('raw_backstage') }}
