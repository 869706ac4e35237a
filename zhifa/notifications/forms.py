from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OpenForm(forms.Form):
    notification = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SettingForm(forms.Form):
    in_app = forms.BooleanField(label=_("站内通知：在页面顶部显示未读通知数"), required=False)
    email = forms.BooleanField(label=_("电子邮件：把通知同时发送到账号的电子邮箱"), required=False)
