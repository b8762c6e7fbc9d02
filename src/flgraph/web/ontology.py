"""(being written)"""

from flask import Blueprint

bp = Blueprint("ontology", __name__)
