"""Read-only report SQL, one module per report: metrics (接诉即办 rates), digest, ranking,
export and rectification. Services compute from the rows these functions return and build
no SQL of their own for reports; writes go through the repositories (storage/repos)."""
