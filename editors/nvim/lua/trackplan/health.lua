--- `:checkhealth trackplan`: is the plugin set up, is the binary there, is the current buffer served.

local M = {}

-- Neovim 0.10 renamed the reporting functions (`start` for `report_start`...); 0.7 has them only in
-- the `health` module. Take whichever exists.
local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local info = health.info or health.report_info
local warn = health.warn or health.report_warn
local error = health.error or health.report_error

local function enabled_natively()
  if not (vim.lsp.config and vim.lsp.is_enabled) then
    return false
  end
  return vim.lsp.is_enabled('trackplan')
end

local function command()
  local trackplan = require('trackplan')
  if trackplan.config == nil and enabled_natively() then
    local config = vim.lsp.config.trackplan
    if config and type(config.cmd) == 'table' then
      return config.cmd
    end
  end
  return trackplan.command()
end

local function check_setup()
  local trackplan = require('trackplan')
  if trackplan.config ~= nil then
    ok("set up with require('trackplan').setup{}")
  elseif enabled_natively() then
    ok("enabled with vim.lsp.enable('trackplan')")
  else
    local advice = { "call require('trackplan').setup{} in your init.lua" }
    if vim.lsp.config then
      table.insert(advice, "or vim.lsp.enable('trackplan') (Neovim 0.11+)")
    end
    warn('the plugin is loaded but not set up: plan files get no language server', advice)
  end
end

local function check_binary()
  local binary = command()[1]
  if vim.fn.executable(binary) ~= 1 then
    error(('`%s` is not an executable on PATH'):format(binary), require('trackplan').install_advice())
    return
  end
  local path = vim.fn.exepath(binary)
  local output = vim.fn.systemlist({ path, '--version' })
  if vim.v.shell_error ~= 0 or output[1] == nil then
    error(('`%s` does not run: %s'):format(path, table.concat(output, ' ')))
    return
  end
  ok(('%s (%s)'):format(output[1], path))
end

local function is_report(bufnr)
  return vim.bo[bufnr].filetype == 'checkhealth' or vim.api.nvim_buf_get_name(bufnr):match('^health://') ~= nil
end

-- The buffer to report on: :checkhealth shows its report in a buffer of its own, in a split or a new
-- tab depending on the version; the user's buffer is in the previous window, tab, or the alternate.
local function subject_buffer()
  local bufnr = vim.api.nvim_get_current_buf()
  if not is_report(bufnr) then
    return bufnr
  end
  local candidates = {}
  local previous_window = vim.fn.win_getid(vim.fn.winnr('#'))
  if previous_window ~= 0 then
    table.insert(candidates, vim.api.nvim_win_get_buf(previous_window))
  end
  local previous_tab = vim.fn.tabpagenr('#')
  if previous_tab > 0 then
    local tab = vim.api.nvim_list_tabpages()[previous_tab]
    table.insert(candidates, vim.api.nvim_win_get_buf(vim.api.nvim_tabpage_get_win(tab)))
  end
  table.insert(candidates, vim.fn.bufnr('#'))
  for _, candidate in ipairs(candidates) do
    if candidate > 0 and vim.api.nvim_buf_is_valid(candidate) and not is_report(candidate) then
      return candidate
    end
  end
  return bufnr
end

local function check_buffer()
  local trackplan = require('trackplan')
  local bufnr = subject_buffer()
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root = trackplan.buffer_root(bufnr)
  if root == nil then
    info(('%s is not in a plan folder (none of its folders holds a %s)'):format(
      name == '' and 'the current buffer' or vim.fn.fnamemodify(name, ':~:.'),
      trackplan.root_marker
    ))
    return
  end
  info(('%s is in the plan %s'):format(vim.fn.fnamemodify(name, ':~:.'), root))
  local clients = trackplan.buffer_clients(bufnr)
  if #clients > 0 then
    ok(('the trackplan server (client %d) is attached to it'):format(clients[1].id))
  else
    warn('no trackplan server is attached to it', {
      "is the buffer's filetype yaml? (:set filetype?)",
      'see :checkhealth vim.lsp and the log: ' .. require('vim.lsp.log').get_filename(),
    })
  end
end

function M.check()
  start('trackplan')
  if vim.fn.has('nvim-0.7') == 1 then
    local version = vim.version()
    ok(('Neovim %d.%d.%d'):format(version.major, version.minor, version.patch))
  else
    error('Neovim 0.7 or later is needed')
  end
  check_setup()
  check_binary()
  check_buffer()
end

return M
