// The system SQLite header. No logic lives here.
#include <sqlite3.h>
