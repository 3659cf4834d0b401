--- trackplan for Neovim: attaches the trackplan language server (`trackplan lsp`) to the YAML
--- buffers of plan folders (a folder holding a `trackplan.yaml`, and everything below it).
---
--- `require('trackplan').setup{}` works on Neovim 0.7 and later (`vim.lsp.start` where it exists,
--- `vim.lsp.start_client` before 0.8). On Neovim 0.11+, `vim.lsp.enable('trackplan')` uses the
--- configuration in `lsp/trackplan.lua` instead. `:checkhealth trackplan` reports the set-up.

local M = {}

--- The file that makes a folder a plan.
M.root_marker = 'trackplan.yaml'

--- The options of `setup`, with their defaults.
M.defaults = {
  -- The command that starts the server: `trackplan` from PATH unless given.
  cmd = { 'trackplan', 'lsp' },
  -- The buffers to consider; only those inside a plan folder get the server.
  filetypes = { 'yaml' },
  -- Called when the server attaches to a buffer: function(client, bufnr).
  on_attach = nil,
  -- Client capabilities (e.g. from nvim-cmp); Neovim's own when nil.
  capabilities = nil,
  -- Sent to the server at start: `docsBaseUrl` makes each diagnostic's rule link to its documentation.
  init_options = {
    docsBaseUrl = 'https://github.com/trackplan/trackplan/blob/main/docs/rules.md#{rule}',
  },
  -- Start the server when a plan buffer is opened.
  autostart = true,
}

--- The options given to `setup`, merged with the defaults; nil until `setup` is called.
M.config = nil

local uv = vim.uv or vim.loop
-- Client ids by plan folder, for Neovim 0.7 (later versions reuse clients themselves).
local clients_by_root = {}
-- Binaries already reported missing, so that opening many files says it once.
local reported_missing = {}

local function is_file(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'file'
end

local function parent(path)
  local dir = vim.fn.fnamemodify(path, ':h')
  if dir == path then
    return nil
  end
  return dir
end

--- The plan folder of a file: the nearest folder at or above it that holds `trackplan.yaml`.
---@param path string a file name
---@return string|nil
function M.find_root(path)
  if path == nil or path == '' or path:match('^%a[%w+.-]*://') then
    return nil
  end
  local dir = parent(vim.fn.fnamemodify(path, ':p'))
  while dir ~= nil and dir ~= '' do
    if is_file(dir .. '/' .. M.root_marker) then
      return dir
    end
    dir = parent(dir)
  end
  return nil
end

--- The plan folder of a buffer, if it is a file inside a plan.
---@param bufnr integer
---@return string|nil
function M.buffer_root(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  return M.find_root(vim.api.nvim_buf_get_name(bufnr))
end

--- The command that starts the server: from `setup`, else the default.
---@return string[]
function M.command()
  return (M.config or M.defaults).cmd
end

--- What to do about a missing binary (the notification and the health check say it).
---@return string[]
function M.install_advice()
  return {
    'install it: `pipx install trackplan` or `npm install -g trackplan` (https://github.com/trackplan/trackplan#install)',
    "or point the plugin at it: require('trackplan').setup{ cmd = { '/path/to/trackplan', 'lsp' } }",
  }
end

local function report_missing(binary)
  if reported_missing[binary] then
    return
  end
  reported_missing[binary] = true
  vim.notify(
    ('trackplan: cannot start the language server: `%s` is not an executable on PATH.\n%s'):format(
      binary,
      table.concat(M.install_advice(), '\n')
    ),
    vim.log.levels.ERROR
  )
end

local function attach_hook(config)
  return function(client, bufnr)
    -- Neovim 0.7 does not set 'omnifunc' for language servers; later versions do when it is empty.
    if vim.bo[bufnr].omnifunc == '' then
      vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
    end
    if config.on_attach then
      config.on_attach(client, bufnr)
    end
  end
end

--- The client configuration for a plan folder, as `vim.lsp.start` and `vim.lsp.start_client` take it.
---@param root string
---@param config table|nil the options of `setup` (the defaults when nil)
---@return table
function M.client_config(root, config)
  config = config or M.config or M.defaults
  return {
    name = 'trackplan',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = config.capabilities,
    init_options = config.init_options,
    on_attach = attach_hook(config),
  }
end

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  return client ~= nil and not client.is_stopped()
end

--- Attaches the server to a buffer if it is a file inside a plan folder; returns the client id.
---@param bufnr integer|nil the current buffer when nil or 0
---@return integer|nil
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local root = M.buffer_root(bufnr)
  if root == nil then
    return nil
  end
  local config = M.config or M.defaults
  local binary = config.cmd[1]
  if vim.fn.executable(binary) ~= 1 then
    report_missing(binary)
    return nil
  end
  local client_config = M.client_config(root, config)
  if vim.lsp.start then
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end
  -- Neovim 0.7: one client per plan folder, attached to each of its buffers.
  local id = clients_by_root[root]
  if not client_alive(id) then
    id = vim.lsp.start_client(client_config)
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- Argument checks that read the same on every Neovim (`vim.validate` changed form in 0.11).
local function check(name, value, expected, optional)
  if value == nil and optional then
    return
  end
  if type(value) ~= expected then
    error(('trackplan.setup: `%s` must be a %s, not %s'):format(name, expected, type(value)), 3)
  end
end

local function matches_filetype(bufnr, filetypes)
  return vim.tbl_contains(filetypes, vim.bo[bufnr].filetype)
end

--- Sets the plugin up: from now on, YAML buffers inside plan folders get the language server.
---@param opts table|nil see `M.defaults`
function M.setup(opts)
  check('opts', opts, 'table', true)
  local config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  check('cmd', config.cmd, 'table')
  check('cmd[1]', config.cmd[1], 'string')
  check('filetypes', config.filetypes, 'table')
  check('on_attach', config.on_attach, 'function', true)
  check('capabilities', config.capabilities, 'table', true)
  check('init_options', config.init_options, 'table', true)
  check('autostart', config.autostart, 'boolean')
  M.config = config
  reported_missing = {}

  local group = vim.api.nvim_create_augroup('trackplan', { clear = true })
  if not config.autostart then
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    desc = 'trackplan: attach the language server to plan files',
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before `setup` (a lazily loaded plugin).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and matches_filetype(bufnr, config.filetypes) then
      M.attach(bufnr)
    end
  end
end

--- What a code lens does when run (`trackplan.findReferences`, with the document's URI and the
--- name's position): the cursor goes to the name and `vim.lsp.buf.references()` lists them.
---@param command table the lens's command
---@param ctx table|nil the context `vim.lsp.codelens.run()` gives (its client)
function M.find_references(command, ctx)
  local args = command.arguments or {}
  local uri, position = args[1], args[2]
  if type(uri) ~= 'string' or type(position) ~= 'table' then
    return
  end
  local bufnr = vim.uri_to_bufnr(uri)
  vim.fn.bufload(bufnr)
  local win = vim.fn.bufwinid(bufnr)
  if win == -1 then
    vim.api.nvim_set_current_buf(bufnr)
    win = vim.api.nvim_get_current_win()
  end
  vim.api.nvim_set_current_win(win)
  -- The column in the encoding the client and server agreed on (UTF-16 unless UTF-8).
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ''
  local col = position.character
  if not (client and client.offset_encoding == 'utf-8') then
    local ok, byte
    if vim.fn.has('nvim-0.11') == 1 then
      ok, byte = pcall(vim.str_byteindex, line, 'utf-16', col, false)
    else
      ok, byte = pcall(vim.str_byteindex, line, col, true)
    end
    col = ok and byte or col
  end
  vim.api.nvim_win_set_cursor(win, { position.line + 1, math.min(col, #line) })
  vim.lsp.buf.references()
end

--- The trackplan clients attached to a buffer.
---@param bufnr integer|nil the current buffer when nil or 0
---@return table[]
function M.buffer_clients(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local clients
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ bufnr = bufnr })
  else
    clients = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  end
  local found = {}
  for _, client in ipairs(clients) do
    if client.name == 'trackplan' then
      table.insert(found, client)
    end
  end
  return found
end

return M
