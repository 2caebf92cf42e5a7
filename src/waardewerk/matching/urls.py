from django.urls import path

from waardewerk.matching import views

app_name = "matching"
E = "employers/<uuid:employer_id>/"
J = "jobs/<uuid:job_id>/"
T = "trajectories/<uuid:trajectory_id>/fit/"
urlpatterns = [
    path("employers/", views.employers, name="employers"),
    path("employers/new/", views.employer_new, name="employer_new"),
    path(E, views.employer, name="employer"),
    path(E + "edit/", views.employer_edit, name="employer_edit"),
    path(E + "profile/", views.employer_profile, name="employer_profile"),
    path(E + "contacts/", views.contact_new, name="contact_new"),
    path(E + "notes/", views.note_new, name="note_new"),
    path(E + "jobs/new/", views.job_new, name="job_new"),
    path("contact-persons/<uuid:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path(J, views.job, name="job"),
    path(J + "edit/", views.job_edit, name="job_edit"),
    path(J + "profile/", views.job_profile, name="job_profile"),
    path(J + "employer-link/", views.job_link_new, name="job_link_new"),
    path(
        "job-proposals/<uuid:proposal_id>/employer-link/", views.proposal_link_new, name="proposal_link_new"
    ),
    path("employer-link/<str:token>/", views.employer_link, name="employer_link"),
    path(T, views.fit, name="fit"),
    path(
        "trajectories/<uuid:trajectory_id>/employer/", views.trajectory_employer, name="trajectory_employer"
    ),
    path(T + "<uuid:job_id>/", views.decide, name="decide"),
    path("trajectories/<uuid:trajectory_id>/availability/", views.availability, name="availability"),
    path("job-proposals/<uuid:proposal_id>/share/", views.share, name="share"),
    path(
        "job-proposals/<uuid:proposal_id>/candidate-profile/",
        views.candidate_profile,
        name="candidate_profile",
    ),
    path("trajectories/<uuid:trajectory_id>/placements/new/", views.placement_new, name="placement_new"),
    path("placements/<uuid:placement_id>/", views.placement, name="placement"),
    path("follow-ups/<uuid:follow_up_id>/", views.follow_up, name="follow_up"),
]
