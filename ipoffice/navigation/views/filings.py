"""Filing tracking and the review of filing signals."""

urlpatterns = []
