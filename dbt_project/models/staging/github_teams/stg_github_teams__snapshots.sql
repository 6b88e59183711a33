{{ snapshots_of('raw_github_teams') }}
