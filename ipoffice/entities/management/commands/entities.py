from ipoffice.core.commands import SubcommandCommand
from ipoffice.entities.credit_code import credit_code_problem
from ipoffice.entities.services import match_entity


class Command(SubcommandCommand):
    help = "Entities: link a name to an entity, check a unified social credit code."

    def add_subcommands(self, subparsers):
        match = subparsers.add_parser("match", help="link a name (+ address) to an entity, creating one if new")
        match.add_argument("name")
        match.add_argument("--address", default="")
        match.add_argument("--credit-code", default="")
        match.add_argument("--dry-run", action="store_true", help="only look, never create")
        check = subparsers.add_parser("check-code", help="validate unified social credit codes (GB 32100)")
        check.add_argument("codes", nargs="+")

    def do_match(self, name, address, credit_code, dry_run, **_):
        result = match_entity(name, address, credit_code, source="cli", create=not dry_run)
        if result is None:
            self.stdout.write("no matching entity")
            return
        self.emit({"entity": result.entity.pk, "name": result.entity.name, "created": result.created,
                   "method": result.method, "score": result.score, "reason": result.reason,
                   "region": result.entity.region.code if result.entity.region else None})

    def do_check_code(self, codes, **_):
        bad = 0
        for code in codes:
            problem = credit_code_problem(code)
            bad += bool(problem)
            self.stdout.write(f"{code}: {'valid' if problem is None else 'invalid: ' + problem}")
        if bad:
            raise SystemExit(1)
