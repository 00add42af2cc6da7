{
    "name": "Service Complaints",
    "summary": "Customer complaints at the service desk: registration, "
    "the 10 min / 30 min / 2 h / 24 h / 4 h handling clock, overdue escalation",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-desk/complaint-desk",
    "author": "Complaint Desk",
    "license": "LGPL-3",
    "depends": ["repair", "mail", "resource"],
    "data": [
        "security/complaint_service_groups.xml",
        "security/ir.model.access.csv",
        "security/complaint_service_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/complaint_policy_data.xml",
        "data/ir_cron_data.xml",
        "wizard/complaint_pause_wizard_views.xml",
        "views/complaint_step_views.xml",
        "views/complaint_complaint_views.xml",
        "views/complaint_team_views.xml",
        "views/complaint_policy_views.xml",
        "views/repair_order_views.xml",
        "views/res_partner_views.xml",
        "views/complaint_service_menus.xml",
    ],
    "demo": [
        "demo/complaint_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "complaint_service/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "complaint_service/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
