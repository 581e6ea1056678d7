global using ReviewBot.TestSupport;
global using ReviewBot.Pipeline;
