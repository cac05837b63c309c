/**
 * The part of each command's `--help` that is longer than its one-line description: what the
 * command means where a line cannot say it (`details`), and two to four real invocations
 * (`examples`, each an invocation and what it does). Keyed by the command's full path, e.g.
 * `coi snapshot create`. applyHelp adds them to the tree; a unit test parses every example
 * against the tree, so an entry whose command or flags change fails there.
 *
 * Some entries name commands other parts of the command line are still adding (`coi top`,
 * `coi logs`, …): they take effect once the command is in the tree.
 */
export interface CommandHelp {
  details?: string;
  examples: Example[];
}

/** An invocation as typed at a shell, and what it does (shown as a `#` comment). */
export type Example = readonly [invocation: string, what?: string];

const EPHEMERAL_AND_PERSISTENT =
  'Ephemeral (the default): the container lasts as long as the session. When the session ends ' +
  '(`sudo poweroff` inside, or `coi shutdown`), the agent’s state is saved to ' +
  '~/.coi/sessions-<tool>/<id>/ and the container is deleted; `--resume` brings that state back ' +
  'into a fresh container.\n' +
  'Persistent (--persistent, or [container] persistent = true): the container is kept, stopped, ' +
  'when the session ends, and the next `coi shell` of this workspace starts it again with ' +
  'everything installed in it.\n' +
  'Either way, detaching (Ctrl-b d) or leaving tmux keeps the container running: `coi attach` ' +
  'gets back in.';

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  coi: {
    examples: [
      ['coi', 'the agent for this directory (same as `coi shell`)'],
      ['coi shell --slot 2', 'a second session of the same workspace'],
      ['coi run -- npm test', 'one command in a throwaway container'],
      ['coi list --all', 'containers and saved sessions'],
    ],
  },
  'coi shell': {
    details:
      `Bare \`coi\` is \`coi shell\`. When the workspace's slot 1 (or --slot N) already runs a ` +
      'session, `coi shell` attaches to it instead of starting another; with `[shell] use_tmux = ' +
      'false` the agent runs on this terminal directly and the session ends with it.' +
      `\n\n${EPHEMERAL_AND_PERSISTENT}`,
    examples: [
      ['coi shell', 'the agent in its container, attached to its tmux (or back to it)'],
      ['coi shell myproject', 'the workspace of `[container] alias = "myproject"`, from anywhere'],
      ['coi shell --container coi-abc12345-1', 'enter that existing container as it is'],
      ['coi shell --resume', 'continue the newest saved session of this workspace'],
    ],
  },
  'coi run': {
    details:
      'The container is ephemeral (made for this run, deleted when it ends, nothing saved) unless ' +
      '--persistent or [container] persistent = true: then the stopped persistent container of ' +
      'the slot is started again and stopped, not deleted, afterwards. One word is a shell command ' +
      'line (pipes, quotes and $VARS work); several words are run as they are, one argument each; ' +
      'no command runs the executable ./coi-run at the workspace root. coi exits with the ' +
      'command’s exit code (128+N when signal N ended it), or 137 with one line naming the alert ' +
      'when the security monitor killed the container as a threat.\n' +
      '--prompt TEXT, --prompt-file PATH or --prompt-name NAME (one of them, and no command) run ' +
      'the configured agent headless in its print mode (claude -p, codex exec, opencode run, ' +
      'pi/omp -p, aider --message) and exit with its exit code. Named prompts come from ' +
      '[prompts] NAME = "…" in the config, else ~/.coi/prompts/NAME.md. A prompt needs ' +
      '[tool] permission_mode = "bypass": nobody is there to answer the agent’s questions.',
    examples: [
      ['coi run "npm test"', 'a shell command line'],
      ['coi run -- sh -c "exit 42"', 'exact arguments; coi exits 42'],
      ['coi run --prompt "fix the failing test"', 'the agent headless; coi exits with its code'],
      ['coi run', 'the workspace’s executable ./coi-run'],
    ],
  },
  'coi attach': {
    examples: [
      ['coi attach', 'the only session, or pick one from a list'],
      ['coi attach coi-abc12345-1 --bash', 'a bash instead of that container’s tmux session'],
      ['coi attach myproject-2', 'slot 2 of the alias myproject'],
      ['coi attach --slot 2', 'slot 2 of this workspace'],
    ],
  },
  'coi list': {
    details:
      '`coi --remote NAME list` (or `[incus] remote = "NAME"`) lists the coi containers on that ' +
      'remote of the incus client config (`incus remote add`, `coi remote list`) instead.',
    examples: [
      ['coi list', 'coi containers with status, address, image, workspace'],
      ['coi list --all', 'also the saved sessions'],
      ['coi list --json', '{"active_containers": [...]} for scripts'],
      ['coi list --running', 'only the running ones (also --stopped, --status frozen)'],
    ],
  },
  'coi shutdown': {
    examples: [
      ['coi shutdown coi-abc12345-1', 'save the session, stop gracefully, delete'],
      ['coi close coi-abc12345-1', 'the same, by its alias'],
      ['coi shutdown --all', 'every coi container (asks first)'],
      ['coi shutdown --all --force --timeout 10', 'without asking, 10 s of grace'],
    ],
  },
  'coi kill': {
    examples: [
      ['coi kill coi-abc12345-1', 'stop and delete now; nothing is saved'],
      ['coi kill coi-abc12345-1 coi-abc12345-2', 'several at once'],
      ['coi kill --all', 'every coi container (asks first)'],
      ['coi kill --all --force', 'without asking'],
    ],
  },
  'coi clean': {
    examples: [
      ['coi clean', 'delete stopped coi containers (asks first)'],
      ['coi clean --sessions --force', 'also every saved session, without asking'],
      ['coi clean --orphans', 'only leftovers of containers that are gone'],
      ['coi clean --all --dry-run', 'list everything that would go, change nothing'],
    ],
  },
  'coi persist': {
    details:
      'An ephemeral container is deleted when its session ends (its agent’s state saved first); ' +
      'a persistent one is kept, stopped, and the next `coi shell` of its workspace starts it ' +
      'again. persist turns running ephemeral containers persistent, so what was installed in ' +
      'them survives the session.',
    examples: [
      ['coi persist coi-abc12345-1', 'keep this container after its session'],
      ['coi persist coi-abc12345-1 coi-abc12345-2', 'several at once'],
      ['coi persist --all', 'every ephemeral coi container (asks first)'],
      ['coi persist --all --force', 'without asking'],
    ],
  },
  'coi unfreeze': {
    examples: [
      ['coi unfreeze coi-abc12345-1', 'resume a container the monitor paused'],
      ['coi unfreeze', 'every frozen coi container'],
    ],
  },
  'coi hosts': {
    details:
      'A named host is an /etc/hosts line inside the container and, in restricted and allowlist ' +
      'mode, a hole in its firewall for that address only, limited to the listed ports (all ports ' +
      'when none). `[[network.hosts]]` in ~/.coi/config.toml names hosts for every launch; ' +
      '`coi hosts add` changes a running container live, until its session ends. The holes go ' +
      'with the container.',
    examples: [
      ['coi hosts add coi-abc12345-1 192.168.1.50 nas.lan nas --ports 445', 'reach the NAS on SMB'],
      ['coi hosts list coi-abc12345-1', 'the container’s named hosts'],
      ['coi hosts remove coi-abc12345-1 nas.lan', 'take a name away again'],
    ],
  },
  'coi hosts add': {
    details:
      'Host names given again move to the new entry. The container must be running; its ' +
      'firewall, /etc/hosts and recorded list change at once.',
    examples: [
      ['coi hosts add coi-abc12345-1 192.168.1.50 nas.lan', 'every port of 192.168.1.50'],
      [
        'coi hosts add coi-abc12345-1 10.0.0.7 db.internal --ports 5432,8000-8100',
        'only PostgreSQL and a port range',
      ],
    ],
  },
  'coi hosts list': {
    examples: [
      ['coi hosts list coi-abc12345-1', 'HOSTNAME, IP and PORTS, one row per name'],
      ['coi hosts list coi-abc12345-1 --json', 'as JSON: [{ip, hostnames, ports}]'],
    ],
  },
  'coi hosts remove': {
    examples: [
      ['coi hosts remove coi-abc12345-1 nas.lan', 'the entry goes with its last name'],
      ['coi hosts remove coi-abc12345-1 db.internal', 'its firewall hole closes at once'],
    ],
  },
  'coi snapshot': {
    examples: [
      ['coi snapshot create', 'snapshot this workspace’s container'],
      ['coi snapshot list --all', 'the snapshots of every coi container'],
      ['coi snapshot restore checkpoint-1', 'roll a stopped container back (asks first)'],
      ['coi snapshot info checkpoint-1 --json', 'one snapshot’s details'],
    ],
  },
  'coi snapshot create': {
    examples: [
      ['coi snapshot create', 'named snap-YYYYMMDD-HHMMSS'],
      ['coi snapshot create checkpoint-1', 'named checkpoint-1'],
      ['coi snapshot create --stateful live', 'with the processes’ memory (needs CRIU)'],
      ['coi snapshot create -c coi-abc12345-1 backup', 'of another container'],
    ],
  },
  'coi snapshot list': {
    examples: [
      ['coi snapshot list', 'this workspace’s container'],
      ['coi snapshot list -c coi-abc12345-1', 'another container'],
      ['coi snapshot list --all --json', 'every coi container, as JSON'],
    ],
  },
  'coi snapshot restore': {
    examples: [
      ['coi snapshot restore checkpoint-1', 'the container must be stopped (asks first)'],
      ['coi snapshot restore checkpoint-1 --force', 'without asking'],
      ['coi snapshot restore checkpoint-1 -c coi-abc12345-1', 'another container'],
    ],
  },
  'coi snapshot delete': {
    examples: [
      ['coi snapshot delete checkpoint-1', 'one snapshot'],
      ['coi snapshot delete --all', 'every snapshot of the container (asks first)'],
      ['coi snapshot delete --all --force -c coi-abc12345-1', 'of another one, without asking'],
    ],
  },
  'coi snapshot info': {
    examples: [
      ['coi snapshot info checkpoint-1', 'created, stateful, size, expiry'],
      ['coi snapshot info checkpoint-1 --json', 'as JSON'],
    ],
  },
  'coi file': {
    examples: [
      ['coi file push ./config.json coi-abc12345-1:/workspace/config.json', 'host → container'],
      ['coi file pull coi-abc12345-1:/tmp/results.txt .', 'container → host'],
      ['coi file pull -r coi-abc12345-1:/home/code/.claude ./saved', 'a directory'],
    ],
  },
  'coi file push': {
    examples: [
      ['coi file push ./config.json coi-abc12345-1:/workspace/config.json', 'one file'],
      ['coi file push notes.md coi-abc12345-1:/home/code/', 'into an existing directory'],
      ['coi file push -r ./src coi-abc12345-1:/workspace/src', 'a directory'],
    ],
  },
  'coi file pull': {
    examples: [
      ['coi file pull coi-abc12345-1:/tmp/results.txt .', 'into the current directory'],
      ['coi file pull coi-abc12345-1:/tmp/results.txt ./results-v2.txt', 'to that path'],
      ['coi file pull -r coi-abc12345-1:/home/code/.claude ./saved', 'a directory'],
    ],
  },
  'coi container': {
    examples: [
      ['coi container launch coi-default my-box', 'create and start a container'],
      ['coi container exec my-box -- ls -la /', 'run a command in it'],
      ['coi container delete my-box --force', 'stop and delete it'],
    ],
  },
  'coi container launch': {
    examples: [
      ['coi container launch coi-default my-box', 'from the coi-default image'],
      ['coi container launch coi-default scratch --ephemeral', 'deleted when it stops'],
    ],
  },
  'coi container start': {
    examples: [
      ['coi container start my-box', 'start a stopped container'],
      ['coi container start coi-abc12345-1', 'a stopped persistent session container'],
    ],
  },
  'coi container stop': {
    examples: [
      ['coi container stop my-box', 'a clean shutdown'],
      ['coi container stop my-box --force', 'kill it instead'],
    ],
  },
  'coi container delete': {
    examples: [
      ['coi container delete my-box', 'a stopped container'],
      ['coi container delete my-box --force', 'stop it first if it runs'],
    ],
  },
  'coi container exec': {
    examples: [
      ['coi container exec my-box -- ls -la /', 'as root; its exit code is coi’s'],
      ['coi container exec my-box --user 1000 --env CI=1 -- npm test', 'as uid 1000'],
      ['coi container exec my-box --capture -- echo "hello world"', '{stdout, stderr, exit_code}'],
      ['coi container exec my-box --capture --format raw -- cat /etc/hostname', 'output only'],
    ],
  },
  'coi container exists': {
    examples: [
      ['coi container exists my-box', 'exit 0 when it exists, 1 when not'],
      ['coi container exists my-box || coi container launch coi-default my-box'],
    ],
  },
  'coi container running': {
    examples: [
      ['coi container running my-box', 'exit 0 when it runs, 1 when not'],
      ['coi container running my-box || coi container start my-box'],
    ],
  },
  'coi container mount': {
    examples: [
      ['coi container mount my-box data /srv/data /data', 'idmapped: files keep host owners'],
      ['coi container mount my-box cache /var/cache/pkgs /cache --no-shift', 'without shifting'],
    ],
  },
  'coi container list': {
    examples: [
      ['coi container list', 'every container, as Incus lists them'],
      ['coi container list --json', 'as JSON'],
    ],
  },
  'coi container info': {
    examples: [
      ['coi container info my-box', 'state, addresses, devices, resources'],
      ['coi container info my-box --json', 'as JSON'],
    ],
  },
  'coi tmux': {
    examples: [
      ['coi tmux list', 'the coi tmux sessions'],
      ['coi tmux send coi-abc12345-1 "npm test"', 'type a line into a session'],
      ['coi tmux capture coi-abc12345-1', 'what the session shows'],
    ],
  },
  'coi tmux list': {
    examples: [
      ['coi tmux list', 'session, attached or not, windows, since'],
      ['coi tmux list --json', 'as JSON'],
    ],
  },
  'coi tmux send': {
    examples: [
      ['coi tmux send coi-abc12345-1 "npm test"', 'type it and press Enter'],
      ['coi tmux send coi-abc12345-1 "explain src/main.ts"', 'a prompt for the agent'],
    ],
  },
  'coi tmux capture': {
    examples: [
      ['coi tmux capture coi-abc12345-1', 'the visible screen'],
      ['coi tmux capture coi-abc12345-1 | tail -n 5', 'its last lines'],
    ],
  },
  'coi tool': {
    examples: [
      ['coi tool spec --prompt-file task.md --json', 'argv and environment, as JSON'],
      ['coi tool spec -c coi-abc12345-1 --prompt-file task.md', 'for that container'],
    ],
  },
  'coi tool spec': {
    details:
      'Nothing runs: it prints what `coi run --prompt-file` would run in that (running) session ' +
      'container — the argv with the prompt in it, the environment, the uid and the working ' +
      'directory — for another program to start with `incus exec`. --resume-latest and ' +
      '--resume-id continue a conversation of the agent in that container.',
    examples: [
      ['coi tool spec --prompt-file task.md --json', 'for this workspace’s container, as JSON'],
      [
        'coi tool spec -c coi-abc12345-1 --prompt-file task.md --resume-latest',
        'continue the newest conversation',
      ],
    ],
  },
  'coi image': {
    examples: [
      ['coi image list', 'the coi images'],
      ['coi image publish my-box my-image', 'a stopped container as an image'],
      ['coi image cleanup my-image- --keep 3', 'keep the three newest my-image-*'],
    ],
  },
  'coi image list': {
    examples: [
      ['coi image list', 'the coi images'],
      ['coi image list --all', 'every local image'],
      ['coi image list --prefix my-image-', 'aliases starting with my-image-'],
      ['coi image list --json', 'as JSON'],
    ],
  },
  'coi image exists': {
    examples: [
      ['coi image exists coi-default', 'exit 0 when it exists, 1 when not'],
      ['coi image exists coi-default || coi build'],
    ],
  },
  'coi image delete': {
    examples: [
      ['coi image delete my-image', 'by alias'],
      ['coi image delete 1a2b3c4d5e6f', 'by fingerprint'],
    ],
  },
  'coi image publish': {
    examples: [
      ['coi image publish my-box my-image', 'the stopped container my-box'],
      ['coi image publish my-box my-image --description "with Python 3.12"'],
    ],
  },
  'coi image cleanup': {
    examples: [
      ['coi image cleanup my-image- --keep 3', 'keep the three newest my-image-*'],
      ['coi image cleanup nightly- --keep 1', 'only the newest nightly-*'],
    ],
  },
  'coi image info': {
    examples: [
      ['coi image info coi-default', 'aliases, size, architecture, properties'],
      ['coi image info coi-default --json', 'as JSON'],
    ],
  },
  'coi health': {
    examples: [
      ['coi health', '[OK]/[WARN]/[FAIL] per check; exit 0, 1 or 2'],
      ['coi health --verbose', 'with each check’s details'],
      ['coi health --json', 'for scripts and monitoring'],
      ['coi health --fix --dry-run', 'what --fix would do, without doing it'],
    ],
  },
  'coi remote': {
    details:
      'The remotes are those of the incus client: `~/.config/incus/config.yml` (or $INCUS_CONF) ' +
      'with its client certificate and each remote’s pinned server certificate, as ' +
      '`incus remote add NAME https://HOST:8443` writes them.',
    examples: [
      ['coi remote list', 'every remote and whether it answers'],
      ['coi remote list --json', '[{"name", "url", "reachable", "auth", "error", …}] for scripts'],
    ],
  },
  'coi remote list': {
    details:
      'Each Incus remote gets a `GET /1.0` (all at once, 3 s each): reachable, with the server’s ' +
      'version, or why not; "not trusted" means the server answers but refuses this client’s ' +
      'certificate. Image servers are listed, not probed.',
    examples: [
      ['coi remote list', 'NAME, URL, PROTOCOL, STATUS'],
      ['coi remote list --format json', 'as JSON'],
      ['INCUS_CONF=/etc/coi/incus coi remote list', 'the remotes of another client config'],
    ],
  },
  'coi profile': {
    examples: [
      ['coi profile list', 'every profile and where it comes from'],
      ['coi profile show dev', 'its effective config, key by key'],
      ['coi profile create dev --inherits default', 'a new user profile'],
    ],
  },
  'coi profile list': {
    examples: [
      ['coi profile list', 'NAME, IMAGE, PERSISTENT, SOURCE'],
      ['coi profile list --json', 'as JSON'],
    ],
  },
  'coi profile show': {
    examples: [
      ['coi profile show default', 'the built-in profile'],
      ['coi profile show hardened', 'the built-in hardened profile'],
      ['coi profile info dev --json', 'by its alias, as JSON'],
    ],
  },
  'coi profile create': {
    examples: [
      ['coi profile create dev', '~/.coi/profiles/dev/config.toml'],
      ['coi profile create strict --inherits dev', 'building on dev'],
    ],
  },
  'coi profile edit': {
    examples: [
      ['coi profile edit dev', 'in $VISUAL, $EDITOR or vi; checked on save'],
      ['EDITOR=nano coi profile edit dev', 'in nano'],
    ],
  },
  'coi profile delete': {
    examples: [
      ['coi profile delete dev', 'remove ~/.coi/profiles/dev'],
      ['coi profile delete strict', 'a profile others do not inherit from'],
    ],
  },
  'coi config': {
    examples: [
      ['coi config show', 'every key, with the file that set it'],
      ['coi config validate', 'every layer of this workspace'],
      ['coi config validate ~/.coi/config.toml', 'one file'],
    ],
  },
  'coi config show': {
    examples: [
      ['coi config show', 'the effective config of this workspace'],
      ['coi config show --profile dev', 'with a profile applied'],
      ['coi config show --json', 'as JSON'],
    ],
  },
  'coi config validate': {
    examples: [
      ['coi config validate', 'every layer of this workspace; exit 1 when invalid'],
      ['coi config validate ~/.coi/profiles/dev/config.toml', 'one file'],
      ['coi config validate .coi/config.toml --json', '{"valid": ..., "errors": [...]}'],
    ],
  },
  'coi schema': {
    examples: [
      ['coi schema profile', 'the JSON Schema of a profile’s config.toml'],
      ['coi schema profile > profile.schema.json', 'for an editor'],
    ],
  },
  'coi schema profile': {
    examples: [
      ['coi schema profile', 'JSON Schema 2020-12, on stdout'],
      ['coi schema profile > profile.schema.json', 'for an editor'],
    ],
  },
  'coi validate': {
    examples: [
      ['coi validate profile ~/.coi/profiles/dev/config.toml', 'exit 0 valid, 1 invalid'],
      ['coi validate profile .coi/profiles/ci/config.toml --json', '{"valid", "errors"}'],
    ],
  },
  'coi validate profile': {
    examples: [
      ['coi validate profile ~/.coi/profiles/dev/config.toml', 'exit 0 valid, 1 invalid'],
      ['coi validate profile .coi/profiles/ci/config.toml --json', '{"valid", "errors"}'],
    ],
  },
  'coi trust': {
    details:
      'A workspace’s ./.coi/config.toml and ./.coi/profiles/*/config.toml come with the code, so ' +
      'what they ask of the host — mounts of host paths outside the workspace, [[sockets]], ' +
      '[[credentials]] — is ignored (with one warning) until you approve it here. Each file is ' +
      'approved as it is now: the fingerprint in ~/.coi/trust.toml is the sha256 of its bytes and ' +
      'of where its host paths resolve, so any change (or a re-pointed symlink) needs `coi trust` ' +
      'again. What a workspace file may never set (protection off, the network opened, …) stays ' +
      'ignored whatever the approval. COI_TRUST_ALL=1 (or true, yes) approves every workspace, ' +
      'for CI.',
    examples: [
      ['coi trust', 'approve this workspace’s .coi/ files as they are now'],
      ['coi trust -w ~/src/app', 'another workspace'],
      ['coi trust --list', 'every approval: fingerprint (12 characters) and path'],
      ['coi trust --list --json', '[{"path", "fingerprint"}]'],
    ],
  },
  'coi untrust': {
    examples: [
      ['coi untrust', 'revoke the approvals of this workspace’s .coi/ files'],
      ['coi untrust -w ~/src/app', 'of another workspace'],
    ],
  },
  'coi update': {
    details:
      'Runs `coi update core`, then `coi update patterns`. An npm install is updated from the npm ' +
      'registry (`npm install --global`); a git checkout (a development install) only with ' +
      '--force: `git pull --ff-only && npm ci && npm run build` in it.',
    examples: [
      ['coi update', 'coi itself, then the GTFOBins database'],
      ['coi update --force', 'the same, without asking before installing'],
      ['coi update core --check', 'only say whether a newer coi is available'],
      ['coi update patterns', 'refresh ~/.coi/gtfobins from where it came from'],
    ],
  },
  'coi update core': {
    examples: [
      ['coi update core', 'install the latest coi (asks first)'],
      ['coi update core --check', 'only compare this coi with the latest'],
      ['coi update core --force', 'no question; also updates a development checkout'],
    ],
  },
  'coi update patterns': {
    details:
      'The monitor daemon reads ~/.coi/gtfobins when it starts: programs GTFOBins lists with a ' +
      'reverse or bind shell count as network tools when a shell is wired to one (without the ' +
      'database, the built-in nc, ncat, socat, telnet and openssl). Each update is a fresh ' +
      'shallow clone, checked to be a GTFOBins database before it replaces the old one; a source ' +
      'that fails leaves the old one in place. Restart the daemon (`coi monitor --daemon`) to ' +
      'apply it.',
    examples: [
      ['coi update patterns', 'clone or refresh the GTFOBins database'],
      [
        'coi update patterns --source https://github.com/you/GTFOBins.github.io.git',
        'from a fork (remembered for the next update)',
      ],
      ['coi update patterns --source ~/src/gtfobins', 'from a local clone'],
      ['coi update patterns --dry-run', 'print the git commands only'],
    ],
  },
  'coi info': {
    examples: [
      ['coi info', 'the newest saved session of this workspace'],
      ['coi info 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b --json', 'one session, as JSON'],
    ],
  },
  'coi build': {
    examples: [
      ['coi build', 'coi-default, unless it exists'],
      ['coi build --force', 'build it again (e.g. after changing [container.build] agents)'],
      ['coi build --profile rust', 'the image of a profile’s [container.build]'],
      ['coi build --all', 'coi-default, then every profile’s image'],
    ],
  },
  'coi build custom': {
    examples: [
      ['coi build custom my-image --script setup.sh', 'setup.sh as root on coi-default'],
      ['coi build custom py312 --script py.sh --base my-image --force', 'on another base'],
    ],
  },
  'coi setup': {
    examples: [
      ['coi setup', 'Incus, storage pool, bridge, base image: whatever is missing'],
      ['coi setup --no-image', 'everything but the base image'],
    ],
  },
  'coi version': {
    examples: [
      ['coi version', 'which coi this is'],
      ['coi version --json', 'as JSON'],
    ],
  },
  'coi completion': {
    examples: [
      ['coi completion bash > /etc/bash_completion.d/coi'],
      ['coi completion zsh > "${fpath[1]}/_coi"'],
      ['coi completion fish > ~/.config/fish/completions/coi.fish'],
    ],
  },
  'coi tui': {
    examples: [
      ['coi tui', 'the control room'],
      ['COI_CONTAINER_PREFIX=coi-test- coi tui', 'over containers named coi-test-*'],
    ],
  },
  'coi monitor': {
    examples: [
      ['coi monitor', 'every running coi container, once'],
      ['coi monitor coi-abc12345-1 --watch 5', 'one container, every 5 s'],
      ['coi monitor coi-abc12345-1 --json', 'as JSON'],
      ['coi monitor --daemon', 'the host monitor, in the foreground'],
    ],
  },
  'coi audit': {
    examples: [
      ['coi audit', 'every container’s audit log'],
      ['coi audit coi-abc12345-1 --follow', 'new records as they are written'],
      ['coi audit coi-abc12345-1 --json', 'one record per line'],
    ],
  },
  'coi top': {
    examples: [
      ['coi top', 'CPU %, memory, disk and network MB/s per container'],
      ['coi top coi-abc12345-1', 'its processes'],
      ['coi top --sort mem --watch 2', 'busiest memory first, every 2 s'],
      ['coi top --procs --json', 'every process, as JSON'],
    ],
  },
  'coi logs': {
    examples: [
      ['coi logs coi-abc12345-1', 'its session’s stdout, stderr lines prefixed'],
      ['coi logs coi-abc12345-1 -f', 'keep printing, waiting for the files'],
    ],
  },
};
