"""(being written)"""

from flask import Blueprint

bp = Blueprint("validation", __name__)
