{
    "name": "Service Complaint Reports",
    "summary": "Complaint KPIs against targets, analysis views, XLSX exports and the printed "
    "complaint form for the dealership's monthly review",
    "version": "18.0.1.2.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-desk/complaint-desk",
    "author": "Complaint Desk",
    "license": "LGPL-3",
    "depends": ["complaint_service"],
    "data": [
        "security/ir.model.access.csv",
        "security/complaint_reports_security.xml",
        "views/complaint_kpi_templates.xml",
        "views/complaint_report_views.xml",
        "wizard/complaint_dashboard_views.xml",
        "wizard/complaint_export_wizard_views.xml",
        "report/complaint_form_report.xml",
        "views/complaint_policy_views.xml",
        "views/complaint_monthly_review_views.xml",
        "views/complaint_reports_menus.xml",
    ],
    "demo": [
        "demo/complaint_reports_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "complaint_reports/static/src/views/**/*",
        ],
        "web.assets_tests": [
            "complaint_reports/static/tests/tours/**/*",
        ],
    },
}
