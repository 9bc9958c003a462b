import os
import tempfile
import unittest

from app import config


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.secret = os.path.join(self.tmp.name, "db_password")
        with open(self.secret, "w") as handle:
            handle.write("s3cret\n")
        self.env = {
            "DATABASE_HOST": "db",
            "DATABASE_NAME": "notes",
            "DATABASE_USER": "notes",
            "DATABASE_PASSWORD_FILE": self.secret,
        }

    def load(self, **overrides):
        env = dict(self.env)
        for key, value in overrides.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return config.load(env)

    def problems(self, **overrides):
        with self.assertRaises(config.ConfigError) as caught:
            self.load(**overrides)
        return caught.exception

    def test_defaults(self):
        cfg = self.load()
        self.assertEqual(cfg.port, 8080)
        self.assertEqual(cfg.bind_address, "0.0.0.0")
        self.assertEqual(cfg.database.port, 5432)
        self.assertEqual(cfg.database.password, "s3cret")
        self.assertEqual(cfg.log, config.LogSettings("json", "stdout"))
        self.assertEqual(cfg.warnings, ())

    def test_describe_never_contains_the_password(self):
        cfg = self.load()
        self.assertNotIn("s3cret", repr(cfg.describe()))
        self.assertNotIn("s3cret", repr(cfg))
        self.assertTrue(cfg.describe()["database"]["secretLoaded"])

    def test_missing_required_variable_is_named(self):
        err = self.problems(DATABASE_HOST=None)
        self.assertEqual(err.message, "DATABASE_HOST is not set")
        self.assertIn("db service", err.hint)
        self.assertEqual(err.variables, ["DATABASE_HOST"])

    def test_empty_variable(self):
        self.assertEqual(self.problems(DATABASE_USER="  ").message, "DATABASE_USER is set but empty")

    def test_every_problem_is_reported_at_once(self):
        err = self.problems(DATABASE_HOST=None, DATABASE_NAME=None, PORT="http")
        self.assertEqual(err.variables, ["DATABASE_HOST", "DATABASE_NAME", "PORT"])
        self.assertIn("PORT must be an integer between 1 and 65535, got 'http'", err.message)

    def test_port_range(self):
        self.assertEqual(self.load(PORT="9090").port, 9090)
        self.assertIn("PORT", self.problems(PORT="70000").message)

    def test_missing_secret_file(self):
        err = self.problems(DATABASE_PASSWORD_FILE=None)
        self.assertEqual(err.message, "secret file /run/secrets/db_password does not exist")
        self.assertIn("secrets: [db_password]", err.hint)

    def test_explicit_secret_path_that_does_not_exist(self):
        err = self.problems(DATABASE_PASSWORD_FILE="/nowhere/pw")
        self.assertEqual(err.message, "secret file /nowhere/pw does not exist")
        self.assertIn("DATABASE_PASSWORD_FILE points at /nowhere/pw", err.hint)

    def test_empty_secret(self):
        with open(self.secret, "w") as handle:
            handle.write("\n")
        self.assertIn("is empty", self.problems().message)

    def test_secret_is_a_directory(self):
        self.assertIn("is a directory", self.problems(DATABASE_PASSWORD_FILE=self.tmp.name).message)

    @unittest.skipIf(os.getuid() == 0, "root reads any file")
    def test_unreadable_secret(self):
        os.chmod(self.secret, 0)
        err = self.problems()
        self.assertIn("permission denied", err.message)
        self.assertIn("chmod 0644", err.hint)

    def test_plain_password_variables_are_refused(self):
        for var in config.PLAIN_PASSWORD_VARIABLES:
            with self.subTest(var=var):
                err = self.problems(**{var: "s3cret"})
                self.assertEqual(err.message, f"{var} is set: plain-text password variables are not accepted")

    def test_plain_password_does_not_replace_a_missing_secret(self):
        err = self.problems(DATABASE_PASSWORD_FILE=None, DATABASE_PASSWORD="s3cret")
        self.assertTrue(err.message.startswith("secret file /run/secrets/db_password does not exist; "
                                               "DATABASE_PASSWORD is set"), err.message)

    def test_database_url(self):
        self.assertEqual([w.msg for w in self.load(DATABASE_URL="postgres://db/notes").warnings],
                         ["DATABASE_URL is ignored"])
        self.assertIn("contains a password", self.problems(DATABASE_URL="postgres://u:pw@db/notes").message)

    def test_log_settings(self):
        self.assertEqual(config.load_log_settings({"LOG_FORMAT": "TEXT", "LOG_DESTINATION": "/var/log/a.log"}),
                         config.LogSettings("text", "/var/log/a.log"))
        with self.assertRaises(config.ConfigError) as caught:
            config.load_log_settings({"LOG_FORMAT": "xml", "LOG_DESTINATION": "logs/app.log"})
        self.assertEqual(caught.exception.variables, ["LOG_DESTINATION", "LOG_FORMAT"])


if __name__ == "__main__":
    unittest.main()
