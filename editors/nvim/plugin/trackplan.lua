-- The plugin's command, whether it is set up with `require('trackplan').setup{}` or enabled with
-- `vim.lsp.enable('trackplan')`.
if vim.g.loaded_trackplan_commands then
  return
end
vim.g.loaded_trackplan_commands = true

vim.api.nvim_create_user_command('TrackplanDoc', function()
  require('trackplan.doc').write_and_open()
end, { desc = "trackplan: write the plan's dictionary (trackplan doc) and open it in the browser" })
