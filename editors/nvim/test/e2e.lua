-- End-to-end checks of the plugin inside a real Neovim, run by tests/editor_nvim_plugin.rs after the
-- user's init.lua (which loads the plugin as a user would). Each check writes one line, `ok NAME` or
-- `FAIL NAME: detail`, to $TP_RESULT; `done` ends a run that finished.
--
-- $TP_SCENARIO: `setup` (init.lua calls require('trackplan').setup{}), `enable` (init.lua calls
-- vim.lsp.enable('trackplan')), `lazy` (setup{} called after a plan file is open), `missing` (setup{}
-- with no trackplan binary on PATH).

local results = {}
local function report(name, ok, detail)
  local line = (ok and 'ok ' or 'FAIL ') .. name
  if not ok and detail ~= nil then
    line = line .. ': ' .. tostring(detail):gsub('\n', '\\n')
  end
  table.insert(results, line)
end

local function finish()
  local file = assert(io.open(os.getenv('TP_RESULT'), 'w'))
  file:write(table.concat(results, '\n') .. '\ndone\n')
  file:close()
  vim.cmd('qa!')
end

local WAIT = 30000
local scenario = os.getenv('TP_SCENARIO')
local plan = os.getenv('TP_PLAN')
local outside = os.getenv('TP_OUTSIDE')

local notifications = {}
vim.notify = function(message, level)
  table.insert(notifications, { message = message, level = level })
end

-- Independent of the plugin's own helpers: what Neovim says is attached.
local function clients(bufnr)
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ bufnr = bufnr })
  else
    all = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  end
  local found = {}
  for _, client in ipairs(all) do
    if client.name == 'trackplan' then
      table.insert(found, client)
    end
  end
  return found
end

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

local function wait_attached(bufnr)
  vim.wait(WAIT, function()
    return #clients(bufnr) > 0
  end, 20)
  return clients(bufnr)[1]
end

local function realpath(path)
  return (vim.uv or vim.loop).fs_realpath(path) or path
end

local function unknown_events(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.message:find('unknown event', 1, true) then
      table.insert(found, d.message)
    end
  end
  return found
end

local function request(bufnr, client, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, WAIT)
  if not responses then
    return nil, err
  end
  local response = responses[client.id]
  if not response then
    return nil, 'no response'
  end
  if response.err then
    return nil, vim.inspect(response.err)
  end
  return response.result
end

local function checkhealth()
  vim.cmd('checkhealth trackplan')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  -- The report is in a tab or a split of its own, depending on the version: wiping it closes that.
  vim.cmd('bwipeout!')
  return text
end

-- `:TrackplanDoc`: the page of the plan written and handed to the browser ($TP_OPENED is written by
-- the test's stand-in for the system opener).
local function check_doc()
  local opened_file = os.getenv('TP_OPENED')
  open(plan .. '/events/checkout.yaml')
  report(':TrackplanDoc exists', vim.fn.exists(':TrackplanDoc') == 2, 'no such command')
  vim.cmd('TrackplanDoc')
  local opened = vim.wait(WAIT, function()
    return vim.fn.filereadable(opened_file) == 1 and #vim.fn.readfile(opened_file) > 0
  end, 50)
  report(':TrackplanDoc opens a page in the browser', opened, vim.inspect(notifications))
  if not opened then
    return
  end
  local page = vim.fn.readfile(opened_file)[1]
  local cache = realpath(vim.fn.stdpath('cache'))
  report('the page is written in the cache folder', realpath(page):sub(1, #cache) == cache, page)
  local html = table.concat(vim.fn.readfile(page), '\n')
  report(
    "the page is the plan's dictionary",
    html:find('<!doctype html>', 1, true) == 1 and html:find('"name":"Acme Shop"', 1, true) ~= nil,
    html:sub(1, 300)
  )
  local said = notifications[#notifications]
  report('it says where the page is', said ~= nil and said.message:find(page, 1, true) ~= nil, vim.inspect(notifications))
end

-- Code lens (and the plugin running its command), folding and selection ranges, and pulled
-- diagnostics, through requests (Neovim 0.7 has no client for some of them).
local function check_more_requests(client, flows)
  local props = open(plan .. '/properties.yaml')
  wait_attached(props)
  local uri = vim.uri_from_bufnr(props)
  local lenses, err = request(props, client, 'textDocument/codeLens', { textDocument = { uri = uri } })
  local used_by
  for _, lens in ipairs(lenses or {}) do
    if used_by == nil and lens.command and lens.command.title:match('^used by %d+ events?$') then
      used_by = lens
    end
  end
  report('code lenses count the events using a property', used_by ~= nil, err or vim.inspect(lenses))
  report('the plugin handles the lens command', vim.lsp.commands ~= nil and vim.lsp.commands['trackplan.findReferences'] ~= nil, 'not registered')
  if used_by ~= nil and vim.lsp.commands and vim.lsp.commands['trackplan.findReferences'] then
    vim.fn.setqflist({}, 'r')
    vim.lsp.commands['trackplan.findReferences'](used_by.command, { bufnr = props, client_id = client.id })
    local listed = vim.wait(WAIT, function()
      return #vim.fn.getqflist() > 0
    end, 20)
    report("running a lens lists the property's references", listed, vim.inspect(vim.fn.getqflist()))
    vim.cmd('cclose')
    vim.cmd('buffer ' .. props)
  end

  local folds, err2 = request(props, client, 'textDocument/foldingRange', { textDocument = { uri = uri } })
  report('folding ranges for the section and each property', folds ~= nil and #folds > 10, err2 or vim.inspect(folds))

  -- On the name of the first dictionary property: the name, the property, `properties:`, the file.
  local row
  for i, line in ipairs(vim.api.nvim_buf_get_lines(props, 0, -1, false)) do
    if line == '  platform:' then
      row = i - 1
      break
    end
  end
  local selection, err3 = request(props, client, 'textDocument/selectionRange', {
    textDocument = { uri = uri },
    positions = { { line = row or 0, character = 4 } },
  })
  local depth, range = 0, selection and selection[1]
  while range ~= nil and range ~= vim.NIL do
    depth = depth + 1
    range = range.parent
  end
  report('selection ranges grow from the name to the file', depth == 4, err3 or vim.inspect(selection))

  -- Pulled diagnostics are those shown: type an error, pull, compare.
  local flows_uri = vim.uri_from_bufnr(flows)
  local pulled, err4 = request(flows, client, 'textDocument/diagnostic', { textDocument = { uri = flows_uri } })
  local shown = vim.diagnostic.get(flows)
  report(
    'pulled diagnostics are those shown',
    pulled ~= nil and pulled.kind == 'full' and #pulled.items == #shown,
    err4 or (vim.inspect(pulled) .. ' vs ' .. vim.inspect(shown))
  )

  -- Document links: give the first property a `links:` entry, ask until the server has read the
  -- edit, then take the edit back.
  local spec = 'https://example.com/spec#platform'
  vim.api.nvim_buf_set_lines(props, row + 1, row + 1, false, { "    links: {spec: '" .. spec .. "'}" })
  local links, err5
  local linked = vim.wait(WAIT, function()
    links, err5 = request(props, client, 'textDocument/documentLink', { textDocument = { uri = uri } })
    for _, link in ipairs(links or {}) do
      if link.target == spec and link.range.start.line == row + 1 then
        return true
      end
    end
    return false
  end, 100)
  report('document links for links: URLs', linked, err5 or vim.inspect(links))
  vim.api.nvim_buf_set_lines(props, row + 1, row + 2, false, {})
end

local function check_served_plan()
  local flows_file = plan .. '/flows.yaml'
  local flows = open(flows_file)
  report('plan files are yaml buffers', vim.bo[flows].filetype == 'yaml', vim.bo[flows].filetype)
  local client = wait_attached(flows)
  report('the server attaches to a plan file', client ~= nil, vim.inspect(notifications))
  if client == nil then
    return
  end
  report('its root is the plan folder', realpath(client.config.root_dir) == realpath(plan), client.config.root_dir)
  report("'omnifunc' completes from the server", vim.bo[flows].omnifunc ~= '', 'omnifunc is empty')

  -- Type an error: it is reported; fix it: it goes.
  local row, col
  local name = 'Sign Up Completed'
  for i, line in ipairs(vim.api.nvim_buf_get_lines(flows, 0, -1, false)) do
    local s = line:find('steps: [Sign Up Started, ' .. name .. ']', 1, true)
    if s then
      row = i - 1
      col = line:find(name, s, true) - 1
      break
    end
  end
  assert(row, "the sign-up flow's steps are in flows.yaml")
  vim.api.nvim_buf_set_text(flows, row, col, row, col + #name, { 'Sign Up Complted' })
  local appeared = vim.wait(WAIT, function()
    return #unknown_events(flows) > 0
  end, 20)
  report('a typed error is reported', appeared, vim.inspect(vim.diagnostic.get(flows)))
  vim.api.nvim_buf_set_text(flows, row, col, row, col + #'Sign Up Complted', { name })
  local cleared = vim.wait(WAIT, function()
    return #unknown_events(flows) == 0
  end, 20)
  report('the fixed error goes away', cleared, vim.inspect(vim.diagnostic.get(flows)))

  local uri = vim.uri_from_bufnr(flows)
  local completion, err = request(flows, client, 'textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = row, character = col },
  })
  local labels = {}
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do
    labels[item.label] = true
  end
  report('completion offers the events', labels['Sign Up Completed'] and labels['Order Completed'], err or vim.inspect(completion))

  local hover, err2 = request(flows, client, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = row, character = col + 4 },
  })
  local text = hover and hover.contents and hover.contents.value or ''
  report('hover shows the event card', text:find('### Sign Up Completed', 1, true) ~= nil, err2 or text)

  check_more_requests(client, flows)

  -- Other files of the plan share the client.
  local root_file = open(plan .. '/trackplan.yaml')
  local root_client = wait_attached(root_file)
  report('the root file gets the same client', root_client ~= nil and root_client.id == client.id, root_client and root_client.id)
  local nested = open(plan .. '/events/account.yaml')
  local nested_client = wait_attached(nested)
  report('a file in a subfolder gets the same client', nested_client ~= nil and nested_client.id == client.id, nested_client and nested_client.id)

  -- A YAML file outside any plan is left alone.
  local other = open(outside)
  vim.wait(1000, function()
    return #clients(other) > 0
  end, 20)
  report('a YAML file outside a plan gets no server', #clients(other) == 0 and vim.bo[other].filetype == 'yaml', vim.bo[other].filetype)
  report('one server for the plan', #(vim.lsp.get_clients and vim.lsp.get_clients({ name = 'trackplan' }) or vim.tbl_filter(function(c)
    return c.name == 'trackplan'
  end, vim.lsp.get_active_clients())) == 1, 'several clients')

  vim.cmd('buffer ' .. flows)
  local health = checkhealth()
  local how = scenario == 'enable' and "enabled with vim.lsp.enable('trackplan')" or "set up with require('trackplan').setup{}"
  report('checkhealth: how it is set up', health:find(how, 1, true) ~= nil, health)
  report('checkhealth: the binary and its version', health:find('trackplan %d+%.%d+%.%d+ %(') ~= nil, health)
  report('checkhealth: the buffer is served', health:find('is attached to it', 1, true) ~= nil, health)
  report('checkhealth: no warning or error', health:find('WARNING', 1, true) == nil and health:find('ERROR', 1, true) == nil, health)
  report('no notification', #notifications == 0, vim.inspect(notifications))
  check_doc()
end

local function check_missing_binary()
  local flows = open(plan .. '/flows.yaml')
  vim.wait(1000, function()
    return #clients(flows) > 0
  end, 20)
  report('no server without the binary', #clients(flows) == 0, 'a client attached')
  open(plan .. '/trackplan.yaml')
  report('one notification, not one per file', #notifications == 1, vim.inspect(notifications))
  local message = notifications[1] and notifications[1].message or ''
  report('it is an error', notifications[1] ~= nil and notifications[1].level == vim.log.levels.ERROR, vim.inspect(notifications))
  report('it names the binary', message:find('`trackplan` is not an executable on PATH', 1, true) ~= nil, message)
  report('it says how to install it', message:find('pipx install trackplan', 1, true) ~= nil, message)
  report('it says how to point at it', message:find("setup{ cmd = {", 1, true) ~= nil, message)
  vim.cmd('buffer ' .. flows)
  local health = checkhealth()
  report('checkhealth reports the missing binary', health:find('ERROR', 1, true) ~= nil and health:find('is not an executable on PATH', 1, true) ~= nil, health)
end

local ok, err = pcall(function()
  report('version ' .. tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch, true)
  report(vim.lsp.start and 'uses vim.lsp.start' or 'uses vim.lsp.start_client', true)
  if scenario == 'missing' then
    check_missing_binary()
  elseif scenario == 'lazy' then
    local flows = open(plan .. '/flows.yaml')
    report('nothing attached before setup', #clients(flows) == 0, 'attached')
    require('trackplan').setup({})
    report('setup attaches to buffers already open', wait_attached(flows) ~= nil, vim.inspect(notifications))
  else
    if scenario == 'enable' then
      report('vim.lsp.enable is available', vim.lsp.enable ~= nil, 'Neovim < 0.11')
      report('setup was not called', require('trackplan').config == nil, 'setup was called')
    end
    check_served_plan()
  end
end)
if not ok then
  report('script', false, err)
end
finish()
