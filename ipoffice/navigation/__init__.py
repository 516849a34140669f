"""Patent navigation (专利导航): GB/T 39551 projects with their analyses and report, monitoring and early warning
(专利预警), and filing tracking with signals of possibly abnormal filings (非正常专利申请)."""
