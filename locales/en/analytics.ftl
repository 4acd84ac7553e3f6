chart-no-data = Nothing to show for this period and these filters.
chart-show-figures = Show the figures
export-csv = Download CSV
export-excel-fr = CSV for French Excel (semicolons)
