"""Django's four password validators with zhifa's own Chinese messages.

The checks are Django's (``AUTH_PASSWORD_VALIDATORS`` names these subclasses): a minimum
length, Django's list of 20,000 common passwords, similarity to the username, the name or the
e-mail, all digits. Only the wording is ours — Django's Chinese catalog lags behind its English
messages (5.2's length message has no translation) and words them loosely; each message here
names the rule.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短：至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("密码过于常见（在常用密码表中），容易被猜中。")

    def get_help_text(self) -> str:
        return _("密码不能是常用密码。")


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Django fills in the field's verbose name (用户名, 姓名 …) as %(verbose_name)s.
        return _("密码与%(verbose_name)s过于相似。")

    def get_help_text(self) -> str:
        return _("密码不能与用户名、姓名等个人信息相似。")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("密码不能全是数字。")

    def get_help_text(self) -> str:
        return _("密码不能全是数字。")
