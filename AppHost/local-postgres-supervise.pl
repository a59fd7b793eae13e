#!/usr/bin/perl
# Runs the PostgreSQL server (the arguments after the setup script) and stays its parent (local-postgres.sh): a stop
# (SIGTERM or SIGINT, ignored or not when we started) becomes a prompt shutdown, and once the server answers the setup
# script makes the logins and databases.
use strict;
use warnings;
use POSIX ":sys_wait_h";

my ($setup, @server) = @ARGV;
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
    exec @server or die "exec $server[0]: $!";
}
# Fast shutdown first; if it has not finished within 2 s (a checkpoint under load), an immediate one, which the
# orchestrator's stop window (a few seconds) still allows: committed transactions are in the WAL either way.
$SIG{ALRM} = sub { kill 'QUIT', $pid };
$SIG{TERM} = $SIG{INT} = sub { kill 'INT', $pid; alarm 2; };

my $ready = 0;
for (1 .. 120) {
    last if waitpid($pid, WNOHANG) != 0;
    if (system("$ENV{PG_BIN}/pg_isready", '-q', '-h', $ENV{PG_DATA}, '-p', $ENV{PG_PORT}, '-U', 'funnel') == 0) {
        $ready = 1;
        last;
    }
    select(undef, undef, undef, 0.5);
}
if ($ready && system($setup, 'logins') != 0) {
    print STDERR "Setting up the logins and databases failed; stopping the server.\n";
    kill 'INT', $pid;
}
waitpid($pid, 0);
exit($? >> 8);
