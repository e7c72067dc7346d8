"""汇总: the county merges its townships' exported workbooks into its own."""
