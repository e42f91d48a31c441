"""
The machine's AWS CLI (v1, awscli's own Python code) kept warm for the e2e specs' shown commands.

`aws kms …` as a process spends seconds importing awscli and botocore and loading the service models
before its one HTTP request; the specs run dozens. This server does that work once, then forks per
command: the child takes the caller's stdin, stdout and stderr (passed over a Unix socket), its
environment, working directory and arguments, and runs them through `CLIDriver.main` exactly as the
`aws` script does (`awscli.clidriver.main`), so parsing, credentials, the request and the output are the
CLI's own. Each command gets a fresh copy of the warmed state and nothing it does reaches the next.

usage: python aws-cli-forkserver.py SOCKET_PATH CLIENT_PATH (scripts/test-support/aws-cli-warm.ts starts it)
Writes an `aws` client script to CLIENT_PATH (put its directory first on PATH), prints "ready
<awscli version>" on stdout once it listens, and exits when its stdin closes.
"""
import importlib
import json
import os
import select
import signal
import socket
import struct
import sys
import traceback

# Resolved per command, after the command's environment is in place (botocore reads these lazily
# through os.environ): a command may export its own, as the shown commands do.
PER_COMMAND = {'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'}

CLIENT = r'''#!{python} -S
# The `aws` command of the e2e shown-command runs: hands this process's argv, environment, working
# directory and stdio to the warm AWS CLI server ({socket}) and exits with the command's status.
import json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect({socket!r})
body = json.dumps({{'argv': sys.argv, 'env': dict(os.environ), 'cwd': os.getcwd()}}).encode()
socket.send_fds(s, [struct.pack('!Q', len(body))], [0, 1, 2])
s.sendall(body)
status = b''
while chunk := s.recv(16):
    status += chunk
if not status:
    sys.stderr.write('aws (e2e forkserver): the command ended without an exit status\n')
    sys.exit(255)
sys.exit(int(status))
'''


def warm():
    """Imports awscli and builds what every kms/cloudtrail command builds first, without credentials."""
    if os.environ.get('LC_CTYPE', '') == 'UTF-8':
        os.environ['LC_CTYPE'] = 'en_US.UTF-8'
    import awscli
    import awscli.clidriver

    driver = awscli.clidriver.create_clidriver()
    commands = driver._get_command_table()
    driver._get_argument_table()
    loader = driver.session.get_component('data_loader')
    for service in ('kms', 'cloudtrail'):
        commands[service]._get_command_table()
        loader.load_service_model(service, 'endpoint-rule-set-1')
    loader.load_data('partitions')
    driver.session.get_component('endpoint_resolver')
    return awscli, driver


def recv_exact(conn, size):
    data = b''
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError('client went away')
        data += chunk
    return data


def run_command(conn, driver, started_env):
    """In the forked child: become the caller's `aws` process, run the command, report its status."""
    header, fds, _, _ = socket.recv_fds(conn, 8, 3)
    (size,) = struct.unpack('!Q', header)
    request = json.loads(recv_exact(conn, size))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request['cwd'])
    env = request['env']
    os.environ.clear()
    os.environ.update(env)
    if os.environ.get('LC_CTYPE', '') == 'UTF-8':
        os.environ['LC_CTYPE'] = 'en_US.UTF-8'
    sys.argv = request['argv']
    import awscli
    import awscli.clidriver

    # What importing awscli does to the environment (its data directory on AWS_DATA_PATH), done again
    # on this command's environment.
    importlib.reload(awscli)

    # A command whose configuration differs from the server's (anything but its credentials) gets a
    # driver made in its own environment, as a fresh `aws` process would.
    names = {n for n in set(env) | set(started_env) if n.startswith('AWS_') or n in ('HOME', 'LANG', 'LC_ALL', 'LC_CTYPE')}
    if any(env.get(n) != started_env.get(n) for n in names - PER_COMMAND):
        driver = awscli.clidriver.create_clidriver()
    try:
        rc = driver.main(sys.argv[1:])
        awscli.clidriver.HISTORY_RECORDER.record('CLI_RC', rc, 'CLI')
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            sys.stderr.write(e.code + '\n')
    except BaseException:
        traceback.print_exc()
        rc = 1
    rc = 0 if rc is None else rc
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass
    conn.sendall(str(rc & 0xFF).encode())
    conn.close()


def main():
    socket_path, client_path = sys.argv[1], sys.argv[2]
    # The environment a command is compared with: the server's before awscli changed it, as a
    # command's is before its `aws` process imports awscli.
    started_env = dict(os.environ)
    awscli, driver = warm()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(16)
    with open(client_path, 'w') as f:
        f.write(CLIENT.format(python=sys.executable, socket=socket_path))
    os.chmod(client_path, 0o755)
    # Children are reaped by the kernel: each reports its status to its client itself.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print(f'ready {awscli.__version__}', flush=True)
    while True:
        readable, _, _ = select.select([server, sys.stdin.fileno()], [], [])
        if sys.stdin.fileno() in readable and not os.read(sys.stdin.fileno(), 4096):
            break
        if server not in readable:
            continue
        conn, _ = server.accept()
        if os.fork() == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            server.close()
            try:
                run_command(conn, driver, started_env)
            finally:
                os._exit(0)
        conn.close()
    server.close()
    os.unlink(socket_path)


if __name__ == '__main__':
    main()
